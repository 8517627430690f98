/**
 * The last few results of a pure function of two strings (a key and a message), newest replacing the oldest. Both
 * memos of the phone's checks use it: an HMAC (signing.ts) and an Ed25519 signature (server-key.ts) the service
 * computed a moment before, in the same process, over the very text the phone now checks. Only exact equality of
 * both strings is a hit, so a memo never answers for another input than the one it saw.
 */
export class RecentResults {
  private readonly keys: string[];
  private readonly messages: (string | undefined)[];
  private readonly results: string[];
  private next = 0;

  constructor(private readonly size: number) {
    this.keys = new Array<string>(size).fill("");
    this.messages = new Array<string | undefined>(size).fill(undefined);
    this.results = new Array<string>(size).fill("");
  }

  find(key: string, message: string): string | undefined {
    for (let i = 0; i < this.size; i++) {
      if (this.messages[i] === message && this.keys[i] === key) return this.results[i];
    }
    return undefined;
  }

  add(key: string, message: string, result: string): void {
    this.keys[this.next] = key;
    this.messages[this.next] = message;
    this.results[this.next] = result;
    this.next = (this.next + 1) % this.size;
  }
}
