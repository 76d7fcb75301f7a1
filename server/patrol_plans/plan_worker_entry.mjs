// Worker-thread entry: registers tsx's loader in this thread, then runs the TypeScript worker
// (a worker does not inherit the parent's loader hooks, and `--import` is not honoured there).
import { register } from 'tsx/esm/api';

register();
await import('./plan_worker.ts');
