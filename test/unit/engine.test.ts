// The one engine, reached directly with an in-memory Railway and real files in a temp folder:
// the order of the steps, when the restore point is written, and what a partial failure leaves.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Plan } from '../../src/core/plan.ts';
import type { ServiceOutcome } from '../../src/core/report.ts';
import { Secrets } from '../../src/core/secrets.ts';
import { backupPath, loadBackup, undoPath } from '../../src/edge/backup-store.ts';
import { CliError, EXIT } from '../../src/errors.ts';
import { BackupRecorder } from '../../src/steps/backup.ts';
import { executePlan } from '../../src/steps/execute.ts';
import type { RolloutOptions } from '../../src/steps/rollout.ts';
import { createFakeUi } from '../helpers/fake-ui.ts';
import { createMemoryRailway } from '../helpers/memory-railway.ts';

const PATTERNS = { success: ['ok'], failure: ['bad'] };
const NEW = 'redis://default:BrandNewPassword1@proxy.example:6379';
const OLD = 'redis://default:StaleOldPassword2@redis.railway.internal:6379';

function folder(t: TestContext): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function plan(dir: string, overrides: Partial<Plan> = {}): Plan {
  const set = { kind: 'set' as const, value: { kind: 'literal' as const, value: NEW } };
  return {
    kind: 'setup',
    environment: undefined,
    variable: 'REDIS_URL',
    envFile: { path: path.join(dir, '.env'), exists: true, change: set },
    services: [
      {
        name: 'bot',
        role: 'bot',
        patterns: PATTERNS,
        change: set,
        previous: { kind: 'value', value: OLD },
        deploy: 'redeploy',
      },
      {
        name: 'worker',
        role: 'worker',
        patterns: PATTERNS,
        change: set,
        previous: { kind: 'unset' },
        deploy: 'redeploy',
      },
    ],
    watch: { timeoutMs: 1000, settleMs: 0 },
    notes: [],
    ...overrides,
  };
}

/** A rollout double: every target healthy, and a record of what it was asked to watch. */
function fakeRollout(seen: string[]) {
  return async (o: RolloutOptions): Promise<ServiceOutcome[]> =>
    o.targets.map((t) => {
      seen.push(t.service);
      return {
        name: t.service,
        role: t.role,
        deploymentId: 'd1',
        status: 'healthy',
        evidence: [],
        secondsToHealthy: 1,
        missing: [],
      };
    });
}

test('order: restore point, then .env, then each variable, then redeploy and watch', async (t) => {
  const dir = folder(t);
  writeFileSync(path.join(dir, '.env'), 'A=1\nREDIS_URL=redis://localhost:6379\n');
  const railway = createMemoryRailway([{ name: 'bot', variables: { REDIS_URL: OLD } }, { name: 'worker' }]);
  const watched: string[] = [];
  const ui = createFakeUi();
  const ex = await executePlan(
    { ui, secrets: new Secrets(), railway, recorder: new BackupRecorder(dir, 'record'), rollout: fakeRollout(watched) },
    plan(dir),
  );
  assert.equal(ex.failure, undefined);
  assert.deepEqual(ex.servicesChanged, ['bot', 'worker']);
  assert.equal(readFileSync(path.join(dir, '.env'), 'utf8'), `A=1\nREDIS_URL=${NEW}\n`);
  assert.deepEqual(railway.vars.get('bot'), { REDIS_URL: NEW });
  assert.deepEqual(watched, ['bot', 'worker']);
  const saved = await loadBackup(dir);
  assert.equal(saved?.envFile?.previousValue, 'redis://localhost:6379');
  assert.deepEqual(
    saved?.services.map((s) => [s.service, s.previousValue]),
    [
      ['bot', OLD],
      ['worker', undefined],
    ],
  );
  const order = ui.lines.filter((l) => l.startsWith('success:')).map((l) => l.replace(/ in .*| \(.*/, ''));
  assert.deepEqual(order, [
    'success: Updated REDIS_URL',
    'success: bot: REDIS_URL set',
    'success: worker: REDIS_URL set',
  ]);
});

test('a plan that changes nothing never writes the restore point', async (t) => {
  const dir = folder(t);
  const railway = createMemoryRailway([{ name: 'bot', variables: { REDIS_URL: NEW } }]);
  const keep = plan(dir, {
    envFile: undefined,
    services: [
      {
        name: 'bot',
        role: 'bot',
        patterns: PATTERNS,
        change: { kind: 'keep' },
        previous: { kind: 'value', value: NEW },
        deploy: 'none',
      },
    ],
  });
  await executePlan(
    { ui: createFakeUi(), secrets: new Secrets(), railway, recorder: new BackupRecorder(dir, 'record') },
    keep,
  );
  assert.equal(existsSync(backupPath(dir)), false);
});

test('a set failing on the second service stops before any redeploy and says exactly what changed', async (t) => {
  const dir = folder(t);
  writeFileSync(path.join(dir, '.env'), 'REDIS_URL=x\n');
  const railway = createMemoryRailway([{ name: 'bot' }, { name: 'worker' }]);
  railway.failNext('variable set', 'worker', new CliError('rate limited', EXIT.railway, 'wait', 'railway-ratelimit'));
  const watched: string[] = [];
  const ui = createFakeUi();
  const ex = await executePlan(
    { ui, secrets: new Secrets(), railway, recorder: new BackupRecorder(dir, 'record'), rollout: fakeRollout(watched) },
    plan(dir),
  );
  assert.equal(ex.failure?.code, 'railway-ratelimit');
  assert.deepEqual(ex.servicesChanged, ['bot']);
  assert.deepEqual(watched, [], 'nothing is redeployed after a failed set');
  assert.ok(!railway.calls.some((c) => c.argv[0] === 'redeploy'));
  assert.match(ui.output(), /Has the new REDIS_URL: bot and \.env\.\nStill has the old value: worker\./);
});

test("a provider action's value reaches .env and every service; a delete watches its deployment", async (t) => {
  const dir = folder(t);
  const railway = createMemoryRailway([{ name: 'bot' }, { name: 'worker', variables: { REDIS_URL: OLD } }]);
  const fromAction = { kind: 'set' as const, value: { kind: 'provider-action' as const } };
  const p = plan(dir, {
    envFile: { path: path.join(dir, '.env'), exists: false, change: fromAction },
    services: [
      {
        name: 'bot',
        role: 'bot',
        patterns: PATTERNS,
        change: fromAction,
        previous: { kind: 'unset' },
        deploy: 'redeploy',
      },
      {
        name: 'worker',
        role: 'worker',
        patterns: PATTERNS,
        change: { kind: 'delete' },
        previous: { kind: 'value', value: OLD },
        deploy: 'self',
      },
    ],
  });
  let targets: RolloutOptions['targets'] = [];
  const rollout = async (o: RolloutOptions) => {
    targets = o.targets;
    return [];
  };
  await executePlan(
    { ui: createFakeUi(), secrets: new Secrets(), railway, recorder: new BackupRecorder(dir, 'record'), rollout },
    p,
    NEW,
  );
  assert.deepEqual(railway.vars.get('bot'), { REDIS_URL: NEW });
  assert.deepEqual(railway.vars.get('worker'), {});
  assert.match(readFileSync(path.join(dir, '.env'), 'utf8'), new RegExp(`^REDIS_URL=${NEW}$`, 'm'));
  assert.deepEqual(
    targets.map((x) => [x.service, x.deployedAfter]),
    [
      ['bot', undefined],
      ['worker', 'worker-0'],
    ],
  );
});

test('restore mode keeps the original restore point until every value is back', async (t) => {
  const dir = folder(t);
  const railway = createMemoryRailway([
    { name: 'bot', variables: { REDIS_URL: NEW } },
    { name: 'worker', variables: { REDIS_URL: NEW } },
  ]);
  const first = new BackupRecorder(dir, 'record');
  await first.record(plan(dir, { envFile: undefined }), undefined);
  const original = readFileSync(backupPath(dir), 'utf8');
  const back = plan(dir, { kind: 'restore', envFile: undefined, watch: undefined });
  railway.failNext('variable set', 'worker', new CliError('boom', EXIT.railway, undefined, 'railway-error'));
  const recorder = new BackupRecorder(dir, 'record-on-success');
  const ex = await executePlan({ ui: createFakeUi(), secrets: new Secrets(), railway, recorder }, back);
  assert.ok(ex.failure);
  assert.equal(
    readFileSync(backupPath(dir), 'utf8'),
    original,
    'a failed restore must not replace its own restore point',
  );
  assert.equal(existsSync(undoPath(dir)), true, 'the undo point is kept alongside');
  const again = new BackupRecorder(dir, 'record-on-success');
  const ok = await executePlan({ ui: createFakeUi(), secrets: new Secrets(), railway, recorder: again }, back);
  assert.equal(ok.failure, undefined);
  await again.commit();
  assert.notEqual(readFileSync(backupPath(dir), 'utf8'), original);
  assert.equal(existsSync(undoPath(dir)), false);
});
