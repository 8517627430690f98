import { appText } from "../../copy/app-text.ts";
import { chooseDeck } from "../../copy/choose.ts";
import type { Deck } from "../../copy/deck.ts";
import source from "../../copy/en.json" with { type: "json" };
import { copywriter, type Copywriter } from "../../copy/format.ts";
import { screenText, type ScreenText } from "../../copy/screen-text.ts";
import type { DeviceView } from "../contract.ts";

/** What the phone says on one render: the deck's writer, the screen's words and the app buttons' labels. */
export interface PhoneWords {
  readonly copy: Copywriter;
  readonly text: ScreenText;
  readonly labels: Readonly<Record<string, string>>;
  /** The locale previewed, when it is not the phone's own. */
  readonly preview?: string;
}

/**
 * The decks of copy/ in the studio's page, for the phone's apps and the locale switcher. The source deck is
 * bundled, so the apps have their words before the others arrive; the rest come from the gallery's endpoint,
 * which lists copy/ on every request (a deck a user just copied in shows after a reload, or on opening the
 * switcher). The switcher is a preview: it words the same phone's facts in another deck and changes nothing
 * in the world (the device keeps its own locale, and so do its logs and `heartlock run`).
 */
export class PhoneCopy {
  // The decks are validated where they are read (copy/decks.ts on the server; copy/copy.test.ts for this one),
  // so the page takes them as they come and carries no zod.
  private readonly source = source as Deck;
  private decks = new Map<string, Deck>([[this.source.locale, this.source]]);
  private readonly writers = new Map<string, Copywriter>();

  /** Every deck the page knows, the source first (the order copy/decks.ts gives). */
  get locales(): readonly Deck[] {
    return [...this.decks.values()];
  }

  async load(): Promise<void> {
    const answer = await fetch("/studio/api/copy");
    if (!answer.ok) return;
    const decks = ((await answer.json()) as { decks: Deck[] }).decks;
    this.decks = new Map(decks.map((deck) => [deck.locale, deck]));
    if (!this.decks.has(this.source.locale)) this.decks.set(this.source.locale, this.source);
    this.writers.clear();
  }

  writer(locale: string | undefined): Copywriter {
    const deck = chooseDeck(locale, this.decks, this.source.locale) ?? this.source;
    let writer = this.writers.get(deck.locale);
    if (!writer) {
      writer = copywriter(deck, this.decks.get(this.source.locale) ?? this.source);
      this.writers.set(deck.locale, writer);
    }
    return writer;
  }

  /** The phone's words: as the server wrote them in the phone's locale, or the same facts in a previewed deck. */
  words(device: DeviceView, preview: string | undefined, timeZone: string): PhoneWords {
    const screen = device.screen;
    if (preview === undefined || !this.decks.has(preview)) return { copy: this.writer(screen.text.locale), text: screen.text, labels: screen.labels };
    const copy = this.writer(preview);
    const labels = Object.fromEntries(Object.entries(appText({ facts: screen.facts }, copy, device.imei)).map(([name, line]) => [name, line.text]));
    return { copy, text: screenText(screen.facts, copy, timeZone), labels, preview };
  }
}
