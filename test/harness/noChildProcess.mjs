// Loaded before every unit test file (npm run test:unit: node --import): the unit tier starts no
// process — no compiler, no git, no test runner. Any attempt fails the test that made it, naming
// the command; such a test belongs in test/slow.
import childProcess from 'node:child_process';

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  childProcess[name] = (command) => {
    throw new Error(`A unit test started a process (${name} ${JSON.stringify(command)}): move it to test/slow.`);
  };
}
