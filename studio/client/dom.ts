/**
 * Small DOM helpers. Strings always become text nodes or attribute values, never markup, so nothing the
 * server sends can inject HTML.
 */

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Readonly<Record<string, string | number | boolean | undefined>>;

/** `h("button", { type: "button", "data-testid": "play" }, "Play")` */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: readonly Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setAttrs(element, attrs);
  append(element, children);
  return element;
}

export function setAttrs(element: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) element.removeAttribute(name);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Sets text only when it changed: live regions then announce real changes, not every re-render. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** Sets a field's value from the state unless the person is typing in it or already changed it by hand. */
export function prefill(field: HTMLInputElement | HTMLSelectElement, value: string): void {
  if (document.activeElement === field || field.dataset["edited"] === "yes") return;
  if (field.value !== value) field.value = value;
}

/** Marks a field as changed by hand, so `prefill` leaves it alone until `release` (after a submit). */
export function trackEdits(field: HTMLInputElement | HTMLSelectElement): void {
  field.addEventListener("input", () => {
    field.dataset["edited"] = "yes";
  });
}

export function release(field: HTMLInputElement | HTMLSelectElement): void {
  delete field.dataset["edited"];
}

/**
 * Replaces a container's children and puts focus back on the element with the same `data-key`, so a
 * re-rendered panel does not throw a keyboard user back to the top of the page.
 */
export function replaceKeepingFocus(container: Element, children: readonly Child[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset["key"] : undefined;
  const fragment = document.createDocumentFragment();
  append(fragment, children);
  container.replaceChildren(fragment);
  if (key === undefined) return;
  for (const candidate of container.querySelectorAll<HTMLElement>("[data-key]")) {
    if (candidate.dataset["key"] === key) {
      candidate.focus({ preventScroll: true });
      return;
    }
  }
}

/** Selects options by value, keeping the chosen one (and focus) when the list did not change. */
export function setOptions(select: HTMLSelectElement, options: readonly { value: string; label: string }[]): void {
  const same =
    select.options.length === options.length &&
    options.every((option, i) => select.options[i]?.value === option.value && select.options[i]?.text === option.label);
  if (same) return;
  const chosen = select.value;
  select.replaceChildren(...options.map((option) => h("option", { value: option.value }, option.label)));
  if (options.some((option) => option.value === chosen)) select.value = chosen;
}

/** A container scrolled to its end stays there as content grows; one the person scrolled up stays put. */
export function stickToEnd(container: Element, change: () => void): void {
  const atEnd = container.scrollHeight - container.scrollTop - container.clientHeight < 24;
  change();
  if (atEnd) container.scrollTop = container.scrollHeight;
}

/** Runs `render` at most once per animation frame, with the latest arguments. */
export function perFrame<T>(render: (value: T) => void): (value: T) => void {
  let pending: { value: T } | undefined;
  return (value) => {
    const scheduled = pending !== undefined;
    pending = { value };
    if (scheduled) return;
    requestAnimationFrame(() => {
      const latest = pending;
      pending = undefined;
      if (latest) render(latest.value);
    });
  };
}
