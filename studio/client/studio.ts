import type { ActAnswer, ActRequest, ClockRequest, StageRequest, StudioState } from "../contract.ts";
import { api, problemText, type Answer } from "./api.ts";
import type { Feedback } from "./feedback.ts";
import type { Store } from "./store.ts";

/**
 * What every control does when pressed: send the request, show the new state, and tell the room what
 * happened (or why it was refused). Views get this object instead of talking to the server themselves.
 */
export class Studio {
  /** Called after a stage load or reset: the timeline starts afresh with the new story. */
  onNewStage: () => void = () => undefined;

  constructor(
    readonly store: Store,
    private readonly feedback: Feedback,
  ) {}

  /** One actor's action; `what` names the control in the feedback ("Lender: report default"). */
  async act(action: ActRequest, what: string): Promise<ActAnswer | undefined> {
    const answer = await api.act(action);
    if (!answer.ok) {
      this.feedback.error(what, problemText(answer.problem));
      return undefined;
    }
    this.store.apply(answer.value.state);
    this.feedback.outcome(what, answer.value.outcome, answer.value.state.clock.local);
    return answer.value;
  }

  async clock(op: ClockRequest, what: string): Promise<void> {
    this.settle(await api.clock(op), what);
  }

  async stage(op: StageRequest, what: string, done: string): Promise<void> {
    // A load or reset may start the revision count again; its answer is the state to show, whatever its rev.
    const state = this.settle(await api.stage(op), what, true);
    if (!state) return;
    this.onNewStage();
    this.feedback.outcome(what, done, state.clock.local);
  }

  note(text: string): void {
    this.feedback.note(text);
  }

  private settle(answer: Answer<StudioState>, what: string, force = false): StudioState | undefined {
    if (!answer.ok) {
      this.feedback.error(what, problemText(answer.problem));
      return undefined;
    }
    this.store.apply(answer.value, force);
    return answer.value;
  }
}
