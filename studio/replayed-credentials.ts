import type { CredentialSource } from "../mock-server/credentials.ts";

/**
 * The credentials a show drew (tokens, secrets, unlock codes), kept so a rewind can draw them again. `heartlock
 * serve` draws them from a CSPRNG, so that nobody on the network can predict a code; a rewind replays the story
 * in a new world, which would then issue other codes, and the replayed journal would no longer be the show's.
 * Replaying hands out the show's own draws in order, as long as each asks for the same kind and length, and
 * fresh ones from the source after that (or from the first draw that differs: the story has branched).
 */
export class ReplayedCredentials implements CredentialSource {
  private readonly drawn: { readonly kind: "token" | "digits"; readonly value: string }[] = [];
  private replaying = true;

  constructor(
    private readonly source: CredentialSource,
    private readonly replay: ReplayedCredentials | undefined = undefined,
  ) {}

  token(length: number): string {
    return this.draw("token", length, () => this.source.token(length));
  }

  digits(length: number): string {
    return this.draw("digits", length, () => this.source.digits(length));
  }

  private draw(kind: "token" | "digits", length: number, fresh: () => string): string {
    const earlier = this.replaying ? this.replay?.drawn[this.drawn.length] : undefined;
    const reuse = earlier !== undefined && earlier.kind === kind && earlier.value.length === length;
    if (!reuse) this.replaying = false;
    const value = reuse ? earlier.value : fresh();
    this.drawn.push({ kind, value });
    return value;
  }
}
