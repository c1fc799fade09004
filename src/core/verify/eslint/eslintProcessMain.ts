/**
 * Child process: the workspace's ESLint checks, fixes and problems for one folder (see
 * EslintProcess.ts). It ends when its host lets it go or goes away.
 */
import { serveRequests } from '../../idleChild';
import { EslintChecker } from './EslintChecker';
import type { EslintRequest } from './EslintProcess';

const checker = new EslintChecker(process.argv[2] ?? process.cwd());
serveRequests<EslintRequest & { id: number }>((req) => {
  switch (req.op) {
    case 'verify':
      return checker.verify(req.request);
    case 'fixes':
      return checker.fixes(req.filePath, req.text, req.target);
    case 'problems':
      return checker.problems(req.file);
    case 'all':
      return checker.all();
    case 'unavailable':
      return checker.unavailable();
  }
});
