// Entry of the parsing worker thread: plain JavaScript so it starts the same under `node --import
// tsx` (production) and under Vitest; it registers tsx for this thread and loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse_worker.ts');
