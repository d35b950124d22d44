// The watch, as a person sees it. In a terminal: one line per service redrawn in place (phase,
// time against the timeout, last relevant log line). Elsewhere: a plain line per phase change and
// a heartbeat, so a long wait never looks like a hang in a CI log.
import type { HealthState } from '../core/health.js';
import { isFinalPhase, phaseLine, phaseOf, renderWatch, type WatchRow } from '../core/watch-view.js';
import type { LiveArea, Ui } from '../ui/prompts.js';

const REDRAW_MS = 500;
const HEARTBEAT_MS = 30_000;

export class WatchBoard {
  private readonly rows = new Map<string, WatchRow>();
  private readonly lastPhase = new Map<string, string>();
  private readonly live: LiveArea | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastHeartbeat = Date.now();

  constructor(
    private readonly ui: Ui,
    services: string[],
    private readonly timeoutMs: number,
  ) {
    const now = Date.now();
    for (const service of services) this.rows.set(service, { service, startedAtMs: now });
    this.live = ui.live();
    this.timer = setInterval(() => this.tick(), REDRAW_MS);
    this.draw();
  }

  deployment(service: string, deploymentId: string): void {
    this.change(service, { deploymentId });
  }

  status(service: string, deploymentStatus: string): void {
    this.change(service, { deploymentStatus });
  }

  health(service: string, state: HealthState): void {
    const final = state.status === 'healthy' || state.status === 'failed' || state.status === 'timeout';
    this.change(service, {
      health: state.status,
      ...(state.lastRelevantLine ? { lastLine: state.lastRelevantLine } : {}),
      ...(final && !this.rows.get(service)?.endedAtMs ? { endedAtMs: Date.now() } : {}),
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw();
    this.live?.done();
  }

  private change(service: string, patch: Partial<WatchRow>): void {
    const row = this.rows.get(service);
    if (!row) return;
    Object.assign(row, patch);
    if (!this.live) {
      const phase = phaseOf(row);
      if (this.lastPhase.get(service) !== phase) {
        this.lastPhase.set(service, phase);
        this.ui.info(phaseLine(row, Date.now()));
      }
    }
    this.draw();
  }

  private tick(): void {
    if (this.live) {
      this.draw();
      return;
    }
    const now = Date.now();
    const waiting = [...this.rows.values()].filter((r) => !isFinalPhase(phaseOf(r)));
    if (waiting.length > 0 && now - this.lastHeartbeat >= HEARTBEAT_MS) {
      this.lastHeartbeat = now;
      this.ui.info(
        `still watching: ${waiting.map((r) => phaseLine(r, now)).join('; ')} (timeout ` +
          `${Math.round(this.timeoutMs / 1000)} s)`,
      );
    }
  }

  private draw(): void {
    this.live?.update(renderWatch([...this.rows.values()], Date.now(), this.timeoutMs, this.live.width));
  }
}
