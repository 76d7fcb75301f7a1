import type { Assignment, Coverage } from '../../api/crew';
import type { DetectionFeature } from '../../api/detections';
import type { ViolationDetail } from '../../api/violations';
import { hasMessage, useI18n } from '../../i18n/i18n';

/**
 * The day in order: each segment as its stake range (K3+200–K5+800) with its covered share, then
 * the point tasks (verify a lead, re-inspect a case, check a notice's deadline) with their button.
 */
export function CrewTaskList({
  assignment,
  coverage,
  records,
  onVerifyLead,
  onReinspect,
}: {
  assignment: Assignment;
  coverage: Coverage | null;
  records: Record<string, unknown>;
  onVerifyLead: (detectionId: number) => void;
  onReinspect: (violationId: number) => void;
}) {
  const { t } = useI18n();
  const shareOf = new Map((coverage?.segments ?? []).map((segment) => [segment.segmentId, segment.coveredShare]));
  const segments = [...assignment.segments].sort((a, b) => a.order - b.order);
  const tasks = [...assignment.tasks].sort((a, b) => a.order - b.order);
  return (
    <section className="crew-card" aria-labelledby="crew-list-title" data-testid="crew-task-list">
      <h2 id="crew-list-title">{t('crewApp.list.title')}</h2>
      <ol className="crew-list">
        {segments.map((segment) => {
          const share = shareOf.get(segment.segmentId);
          return (
            <li key={`s${segment.segmentId}`} className="crew-list-item" data-testid={`crew-segment-${segment.segmentId}`}>
              <span className="crew-stake">
                {segment.route} {segment.stakeFrom}–{segment.stakeTo}
              </span>
              <span className="crew-muted">{share === undefined ? t('crewApp.list.notCovered') : t('crewApp.list.covered', { percent: Math.round(share * 100) })}</span>
            </li>
          );
        })}
        {tasks.map((task, index) => {
          const detection = task.detectionId !== null ? (records[`detection:${task.detectionId}`] as DetectionFeature | undefined) : undefined;
          const violation = task.violationId !== null ? (records[`violation:${task.violationId}`] as ViolationDetail | undefined) : undefined;
          const where = violation?.properties.stake ?? (detection ? `#${detection.id ?? task.detectionId}` : '');
          return (
            <li key={`t${task.id}`} className="crew-list-item" data-testid={`crew-task-${task.kind}`}>
              <span>
                <span className="crew-stop-number">{index + 1}</span> {hasMessage(`crewApp.task.${task.kind}`) ? t(`crewApp.task.${task.kind}` as 'crewApp.task.reinspection') : task.kind} {where}
                {task.kind === 'deadline_check' && violation?.properties.deadline ? ` · ${t('crewApp.task.deadline', { date: violation.properties.deadline.slice(0, 10) })}` : ''}
              </span>
              {task.kind === 'lead_verification' && task.detectionId !== null ? (
                <button type="button" className="crew-button" data-testid={`crew-verify-${task.detectionId}`} onClick={() => onVerifyLead(task.detectionId!)}>{t('crewApp.task.verify')}</button>
              ) : null}
              {task.kind !== 'lead_verification' && task.violationId !== null ? (
                <button type="button" className="crew-button" onClick={() => onReinspect(task.violationId!)}>{t('crewApp.task.reinspect')}</button>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
