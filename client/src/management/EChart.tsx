import { useEffect, useRef } from 'react';
import { echarts } from './echarts_setup';

type Option = Parameters<ReturnType<typeof echarts.init>['setOption']>[0];

/** One ECharts instance for a React element; `onClick` gets the clicked data index. */
export function EChart({ option, language, label, onClick, height = 260 }: { option: Option; language: string; label: string; onClick?: (dataIndex: number, seriesIndex: number) => void; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);
  useEffect(() => {
    const instance = echarts.init(element.current!, undefined, { renderer: 'canvas', locale: language === 'zh-CN' ? 'ZH' : 'EN' });
    chart.current = instance;
    const resize = () => instance.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      instance.dispose();
      chart.current = null;
    };
  }, [language]);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option, language]);
  useEffect(() => {
    const instance = chart.current;
    if (!instance || !onClick) return;
    const handler = (params: { dataIndex: number; seriesIndex?: number }) => onClick(params.dataIndex, params.seriesIndex ?? 0);
    instance.on('click', handler as never);
    return () => {
      instance.off('click', handler as never);
    };
  }, [onClick, language]);
  return <div ref={element} className="mgmt-chart" style={{ height }} role="img" aria-label={label} />;
}
