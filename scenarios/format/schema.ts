import { z } from "zod";
import { Duration as ProtocolDuration, IsoDate, Reference } from "../../protocol/values.ts";
import { deviceStates, lockReasons, standings, syncStatuses } from "../../protocol/values.ts";
import { faultKinds } from "../../protocol/messages/sim.ts";
import { problemCodes } from "../../protocol/problem.ts";
import { phoneActions, screenKinds } from "../../device-sim/lock-screen.ts";

/**
 * The scenario file format. YAML files are parsed to plain data and validated here; the committed
 * `scenarios/scenario.schema.json` is generated from these schemas (`heartlock schema`), so editors
 * autocomplete exactly what the runner accepts. Objects are strict: a misspelt key is an error with its
 * line, not a silently ignored setting.
 */

const Duration = ProtocolDuration.meta({ id: "Duration" });

const Name = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, "may use letters, digits and . _ - only")
  .meta({ id: "Name", description: "A name for a device, account or lender in this scenario", example: "alice-phone" });

/** "120 EUR", "49.99 EUR", or the protocol's own `{ value, currency }`. */
const Amount = z
  .union([
    z
      .string()
      .regex(/^\d+(\.\d{1,2})? [A-Z]{3}$/, 'must be an amount and an ISO currency code, like "120.00 EUR"')
      .meta({ example: "120.00 EUR" }),
    z.strictObject({ value: z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d{1,2})?$/)]), currency: z.string().regex(/^[A-Z]{3}$/) }),
  ])
  .meta({ id: "Amount", description: 'Money: "120.00 EUR" or { value, currency }' });

const Contact = z
  .strictObject({
    phone: z.string().max(20).regex(/^[0-9+*#]+$/, "may use 0-9 + * # only").optional(),
    email: z.string().max(60).optional(),
  })
  .refine((contact) => contact.phone !== undefined || contact.email !== undefined, "needs a phone or an email")
  .meta({ id: "Contact", description: "Who the owner of a locked phone should contact" });

/** A local wall time in the scenario's zone ("2026-03-06T18:00"), or an ISO time with an offset. */
const LocalTime = z
  .string()
  .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(Z|[+-]\d\d:\d\d)?$/, 'must be a time like "2026-03-06T18:00" (local to timeZone) or with an offset')
  .meta({ example: "2026-03-06T18:00" });

/**
 * Where a step happens. Absolute: a local or zoned time. Business time: "next business day 09:00" or a
 * weekday ("next friday 18:00"), counted from the previous step in the scenario's zone and holidays.
 */
export const StepTime = z
  .string()
  .regex(
    /^(\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)?|next (business day|monday|tuesday|wednesday|thursday|friday|saturday|sunday)( \d\d:\d\d)?)$/i,
    'must be a time like "2026-03-06T18:00", "next business day 09:00" or "next friday 18:00"',
  )
  .meta({ id: "StepTime", examples: ["2026-03-06T18:00", "next business day 09:00", "next friday 18:00"] });

/** Part of a fleet: `{ fleet: shop, share: 10% }`, `{ pattern: "shop-1*" }`, or both (see selection.ts). */
const Selection = z
  .strictObject({
    fleet: Name.optional().meta({ description: "The name of a group declared with count" }),
    pattern: z.string().min(1).max(64).regex(/^[A-Za-z0-9._*?-]+$/, "may use letters, digits, . _ - and the wildcards * ?").optional().meta({ description: "Device names matching this glob (* any run, ? one character)", example: "shop-1*" }),
    share: z
      .union([
        z
          .string()
          .regex(/^(100|\d{1,2}(\.\d+)?)\s?%$/, 'must be a percentage from above 0 to 100, like "10%"')
          .refine((text) => Number(text.replace(/\s?%$/, "")) > 0, "must be above 0%: a share of nothing would select no phone, and its checks would never run"),
        z.number().gt(0, "must be above 0 (a fraction like 0.1, or a percentage like \"10%\")").max(1, "must be at most 1 (a fraction like 0.1, or a percentage like \"10%\")"),
      ])
      .optional()
      .meta({ description: "Only this share of them, chosen by the seed: \"10%\" or 0.1 (rounded up, at least one)" }),
  })
  .refine((selection) => selection.fleet !== undefined || selection.pattern !== undefined, "needs fleet, pattern or both")
  .meta({ id: "Selection", description: "Part of a fleet, chosen by pattern and/or a share picked by the seed" });

const DeviceRef = z.union([Name, Selection]).meta({ description: "A device or fleet name, or part of a fleet: { fleet: shop, share: 10% }" });

const Count = z
  .union([
    z.number().int().nonnegative(),
    z
      .strictObject({ min: z.number().int().nonnegative().optional(), max: z.number().int().nonnegative().optional() })
      .refine((range) => range.min !== undefined || range.max !== undefined, "needs min, max or both")
      .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, "min is above max: no count can match"),
  ])
  .meta({ description: "An exact count, or { min, max }" });

const Times = {
  at: StepTime.optional().meta({ description: "When this step happens: a local time, or next business day / next <weekday> with an optional HH:MM" }),
  after: Duration.optional().meta({ description: "How long after the previous step (or the start) this step happens" }),
};

// ---------------------------------------------------------------- expectations

const DeviceExpectation = z
  .strictObject({
    device: DeviceRef.meta({ description: "A device name, the name of a group declared with count, or part of it: { fleet: shop, share: 10% }" }),
    state: z.enum([...deviceStates, "unenrolled"]).optional().meta({ description: "The state the phone's lock agent is in" }),
    lockReason: z.enum(lockReasons).optional(),
    screen: z
      .strictObject({
        kind: z.enum(screenKinds).optional(),
        shows: z.union([z.string(), z.array(z.string())]).optional().meta({ description: "Text the screen contains (case-insensitive)" }),
        hides: z.union([z.string(), z.array(z.string())]).optional().meta({ description: "Text the screen must not contain" }),
        allows: z.array(z.enum(phoneActions)).optional().meta({ description: "Actions the owner can still use" }),
        disallows: z.array(z.enum(phoneActions)).optional().meta({ description: "Actions the owner must not be offered on this screen" }),
        attemptsLeft: z.number().int().nonnegative().optional(),
        coolingDown: z.boolean().optional(),
      })
      .optional(),
  })
  .meta({ id: "DeviceExpectation", title: "Device expectation" });

const AccountExpectation = z
  .strictObject({
    account: Name,
    standing: z.enum(standings).optional(),
    sync: z.enum(syncStatuses).optional(),
  })
  .meta({ id: "AccountExpectation", title: "Account expectation" });

/** A comparison on one data field: numbers with gt/gte/lt/lte, text with a regular expression. */
const DataMatcher = z
  .strictObject({
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    matches: z.string().min(1).max(200).optional().meta({ description: "A regular expression the field's text must match (JavaScript syntax, unanchored)" }),
  })
  .refine((matcher) => Object.keys(matcher).length > 0, "needs gt, gte, lt, lte or matches")
  .meta({ id: "DataMatcher", description: "A comparison: { gte: 2 }, { lt: 5 }, { matches: \"^cmd-\" }" });

const EventExpectation = z
  .strictObject({
    event: z.string().min(1).meta({ description: "An event type from the README's catalogue, e.g. sync.completed" }),
    actor: z.string().optional(),
    device: DeviceRef.optional(),
    account: Name.optional(),
    within: Duration.optional().meta({ description: "Look forward: counted from this step to this step + within" }),
    since: Duration.optional().meta({ description: "Look back: counted from this step - since to this step" }),
    count: Count.optional().meta({ description: "How many times (default: at least once); 0 means it must not happen" }),
    between: z
      .strictObject({ from: LocalTime, until: LocalTime })
      .optional()
      .meta({ description: "Look in a fixed window of local (or zoned) times, both ends included; decided when it closes" }),
    before: z.string().min(1).optional().meta({ description: "Count only events before the first event of this type (with the same device and account filters)" }),
    after: z.string().min(1).optional().meta({ description: "Count only events after the first event of this type (with the same device and account filters); none if it never happens" }),
    data: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), DataMatcher]))
      .optional()
      .meta({ description: "Fields the event's data must have, e.g. { type: lock } for command.issued, { failures: { gte: 3 } }, { commandId: { matches: \"^cmd-\" } }" }),
  })
  .refine((expectation) => [expectation.within, expectation.since, expectation.between].filter((window) => window !== undefined).length <= 1, "use one of within, since or between")
  .meta({ id: "EventExpectation", title: "Event expectation" });

/** What support's lookup (GET /v1/support/devices?imei=) answers for each phone a name stands for. */
const SupportExpectation = z
  .strictObject({
    support: z.strictObject({
      device: Name,
      standing: z.enum(standings).optional(),
      sync: z.enum(syncStatuses).optional(),
      state: z.enum(deviceStates).optional().meta({ description: "The state the lock service last heard from the phone" }),
      lockReason: z.enum(lockReasons).optional(),
      found: z.boolean().optional().meta({ description: "false: the lookup must answer 404 (the phone is not known)" }),
    }),
  })
  .meta({ id: "SupportExpectation", title: "Support lookup expectation", description: "Support looks the phone up by IMEI (journaled as device.looked_up) and checks the answer" });

/** What the lender's account view (GET /v1/lender/accounts/{id}) answers. */
const LenderExpectation = z
  .strictObject({
    lender: z.strictObject({
      account: Name,
      standing: z.enum(standings).optional(),
      sync: z.enum(syncStatuses).optional(),
      devices: Count.optional().meta({ description: "How many devices the account lists" }),
      locking: z.boolean().optional().meta({ description: "true: the view names a lockAt (overdue or in default)" }),
    }),
  })
  .meta({ id: "LenderExpectation", title: "Lender account view expectation", description: "The account's lender reads its account view (journaled as account.viewed) and checks the answer" });

/** The phone calls a `request:` check can name, as the journal names the lock service's record of them. */
export const requestCalls = ["checkin", "heartbeat", "unlock_attempt"] as const;

/**
 * What a phone sent (headers and body), recorded on the phone's side as its HTTP client builds each request,
 * so it reads the same on every transport (the direct one sends no HTTP; the same headers are built for it).
 */
const RequestExpectation = z
  .strictObject({
    request: z
      .strictObject({
        call: z.enum(requestCalls).meta({ description: "Which request: checkin, heartbeat or unlock_attempt" }),
        device: DeviceRef.optional().meta({ description: "The phone (or fleet, or part of one) that sent it; default any phone" }),
        headers: z
          .record(z.string().regex(/^[A-Za-z0-9-]+$/, "a header name is letters, digits and -"), z.union([z.string(), DataMatcher]))
          .optional()
          .meta({ description: "Headers the request carried (names case-insensitive): accept, authorization, content-type. A bearer token is recorded as \"Bearer <redacted>\"" }),
        body: z
          .record(z.string(), z.union([z.string(), z.number(), z.boolean(), DataMatcher]))
          .optional()
          .meta({ description: "Top-level fields of the JSON body, e.g. { state: locked, seq: { gte: 3 } }" }),
        within: Duration.optional().meta({ description: "Look forward: counted from this step to this step + within" }),
        since: Duration.optional().meta({ description: "Look back: counted from this step - since to this step" }),
        count: Count.optional().meta({ description: "How many such requests (default: at least one); 0 means none may be sent" }),
      })
      .refine((request) => request.within === undefined || request.since === undefined, "use one of within or since"),
  })
  .meta({ id: "RequestExpectation", title: "Phone request expectation", description: "The requests a phone sent, with their headers and body fields" });

export const Expectation = z.union([DeviceExpectation, AccountExpectation, EventExpectation, SupportExpectation, LenderExpectation, RequestExpectation]).meta({ id: "Expectation" });
export type Expectation = z.infer<typeof Expectation>;

// ---------------------------------------------------------------- actions

const StepBase = {
  ...Times,
  say: z.string().trim().optional().meta({ description: "Narration shown with this step (the studio's caption)" }),
  expect: z.union([Expectation, z.array(Expectation)]).optional().meta({ description: "What must hold after this step: one expectation or a list" }),
};

/** An action step may name the problem it expects instead of success ("support cannot issue a code yet"). */
const Failable = {
  expectError: z.enum(problemCodes).optional().meta({ description: "The problem code this call is expected to fail with, e.g. standing_not_good (PROTOCOL.md's codes)" }),
};

function action<const Do extends string, Shape extends z.core.$ZodLooseShape>(name: Do, description: string, shape: Shape) {
  return z.strictObject({ ...StepBase, do: z.literal(name), ...shape }).meta({ title: name, description });
}

const OnDevice = { device: DeviceRef };
const OnAccount = { account: Name };

export const actions = [
  action("lender.register", "The lender registers a device declared with register: false", { ...OnDevice, ...Failable }),
  action("lender.default", "The lender reports a missed installment (with grace: reminders first, then the lock)", {
    ...OnAccount,
    amount: Amount,
    dueDate: IsoDate.optional(),
    grace: Duration.optional(),
    reportId: Reference.optional(),
    ...Failable,
  }),
  action("lender.payment", "The lender records a payment; it reaches the lock service through the sync", {
    ...OnAccount,
    amount: Amount,
    paymentId: Reference.optional(),
    ...Failable,
  }),
  action("lender.complete", "The loan is paid off: devices are released at their next heartbeat", { ...OnAccount, ...Failable }),
  action("owner.pay", "The owner pays the lender (from the payment app); the lender records it", { ...OnDevice, amount: Amount, paymentId: Reference.optional() }),
  action("owner.enter_code", "The owner types an unlock code on the lock screen (default: the last code support gave)", {
    ...OnDevice,
    code: z.string().regex(/^\d{8}$/, "must be 8 digits").optional(),
  }),
  action("owner.enter_offline_code", "The owner types the answer to the offline challenge (default: support's last answer)", {
    ...OnDevice,
    code: z.string().regex(/^\d{8}$/, "must be 8 digits").optional(),
  }),
  action("owner.power_on", "The owner switches on a phone declared with poweredOn: false", OnDevice),
  action("owner.power_off", "The owner switches the phone off: no heartbeat until owner.power_on (the offline deadline keeps counting)", OnDevice),
  action("owner.tamper", "The phone detects tampering (a rooting attempt, a removed lock agent) and locks itself with an offline challenge", OnDevice),
  action("owner.reboot", "The owner restarts the phone", OnDevice),
  action("owner.factory_reset", "The owner erases the phone; it checks in again by IMEI", OnDevice),
  action("owner.go_offline", "The phone loses its network (flight mode, no SIM, out of coverage)", OnDevice),
  action("owner.go_online", "The phone has a network again", OnDevice),
  action("owner.sell", "The owner sells the phone; the seller wipes it first unless factoryReset: false", {
    ...OnDevice,
    to: z.string().min(1).max(64).meta({ description: "The buyer, for the narration" }),
    factoryReset: z.boolean().optional(),
  }),
  action("sync.delay", "From now on, each payment's sync is due after a delay drawn between min and max business time", {
    min: Duration,
    max: Duration.optional(),
  }),
  action("sync.fail", "The sync fails with \"token update failed\" (for one account, or all), until support refreshes after it recovers", {
    account: Name.optional(),
    for: Duration.optional().meta({ description: "How long the failure lasts; default until faults are cleared" }),
    times: z.number().int().min(1).max(100).optional().meta({ description: "Only this many sync attempts fail, however late they run (1: the next sync fails)" }),
  }),
  action("support.lookup", "Support looks a device up by IMEI", { ...OnDevice, ...Failable }),
  action("support.refresh", "Support runs a pending or failed sync now (the manual signal refresh)", { ...OnDevice, ...Failable }),
  action("support.issue_code", "Support issues a one-time unlock code for the device", { ...OnDevice, ...Failable }),
  action("support.offline_code", "Support answers the challenge shown on an offline-locked phone", { ...OnDevice, ...Failable }),
  action("facilitator.advance", "The facilitator moves the clock on through the facilitator API", { by: Duration }),
  action("facilitator.fault", "The facilitator injects a fault", {
    kind: z.enum(faultKinds),
    device: Name.optional(),
    account: Name.optional(),
    for: Duration.optional(),
  }),
  action("facilitator.clear_faults", "The facilitator clears every fault", {}),
] as const;

/** A step that only narrates, waits or checks. */
const QuietStep = z.strictObject({ ...StepBase, do: z.undefined().optional() }).meta({ title: "say / wait / expect" });

export const Step = z.discriminatedUnion("do", [...actions, QuietStep], {
  error: (issue) => (issue.code === "invalid_union" ? `unknown action; "do" must be one of: ${actions.map((a) => a.shape.do.value).join(", ")}` : undefined),
});
export type Step = z.infer<typeof Step>;

/** A step's expectations as a list, whether it wrote one, several or none. */
export function expectationsOf(step: Step): readonly Expectation[] {
  return step.expect === undefined ? [] : Array.isArray(step.expect) ? step.expect : [step.expect];
}
export type ActionStep = Extract<Step, { do: string }>;
export type ActionName = ActionStep["do"];

// ---------------------------------------------------------------- cast and settings

const Locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a BCP 47 locale tag, like "de-DE"')
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, "is not a valid locale tag")
  .meta({ id: "Locale", description: "The phone's language: a copy deck in copy/ (de-DE uses copy/de.json)", example: "de-DE" });

/** The lender's lock message: one text, or one per locale (`{ de: …, en: … }`) so each phone reads its own. */
const LockMessage = z
  .union([
    z.string().trim().max(350),
    z.record(Locale, z.string().trim().min(1).max(350)).refine((messages) => Object.keys(messages).length > 0, "needs at least one locale"),
  ])
  .meta({ id: "LockMessage", description: "At most 350 characters; a map gives it per locale, and a phone whose locale is missing shows the first, marked as untranslated" });

const Lender = z.strictObject({
  id: Name,
  name: z.string().max(80).optional().meta({ description: "The lender's name, as its phones' lock screens name it" }),
  timeZone: z.string().optional().meta({ description: "The lender's own IANA time zone: its payments' syncs count business days in it (default: the scenario's)", example: "Asia/Kolkata" }),
  contact: Contact.optional(),
  locale: Locale.optional().meta({ description: "Default locale of this lender's phones (en when absent)" }),
  // Trimmed: a folded YAML block (">") ends with a line break the lock screen would show.
  lockMessage: LockMessage.optional(),
});

const Account = z.strictObject({
  id: Name,
  lender: Name.optional().meta({ description: "Defaults to the first lender" }),
  owner: z.string().max(64).optional().meta({ description: "Who owns the phones of this account, for the narration" }),
  locale: Locale.optional().meta({ description: "Locale of this account's phones, over the lender's" }),
});

const Device = z
  .strictObject({
    name: Name,
    account: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: "The account; with count, {n} in it gives each phone its own account (fleet-{n})" }),
    count: z.number().int().min(1).max(10_000).optional().meta({ description: "A fleet: this many phones named <name>-1, <name>-2, …" }),
    imei: z.string().regex(/^\d{15}$/).optional(),
    model: z.string().max(64).optional(),
    lockMessage: LockMessage.optional(),
    locale: Locale.optional().meta({ description: "This phone's locale, over its account's and lender's" }),
    register: z.boolean().optional().meta({ description: "false: the lender registers it later with lender.register" }),
    financed: z.boolean().optional().meta({ description: "false: no lender ever registers it; the phone runs unmanaged" }),
    poweredOn: z.boolean().optional().meta({ description: "false: the phone stays off until owner.power_on" }),
    online: z.boolean().optional().meta({ description: "false: the phone starts without a network" }),
  })
  .refine((device) => !(device.count !== undefined && device.imei !== undefined), "a fleet (count) cannot share one imei");

const Policy = z.strictObject({
  heartbeatInterval: Duration.optional(),
  lockedHeartbeatInterval: Duration.optional(),
  offlineLockAfter: Duration.optional(),
  offlineWarningBefore: Duration.optional(),
});

export const Scenario = z
  .strictObject({
    $schema: z.string().optional(),
    title: z.string().min(1).max(120),
    summary: z.string().min(1),
    objectives: z.array(z.string().min(1)).min(1).meta({ description: "Learning objectives: what a workshop should take away" }),
    tags: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "a tag is lower-case letters, digits and -"))
      .optional()
      .meta({ description: "Labels to select scenarios by: heartlock run --tag smoke" }),
    seed: z.union([z.number().int(), z.string()]).optional(),
    start: LocalTime.optional().meta({ description: "When the story starts; default Monday 2026-03-02 09:00 local" }),
    timeZone: z.string().optional().meta({ description: "IANA time zone for local times, business days and the lock screen", example: "Europe/Berlin" }),
    holidays: z.array(IsoDate).optional(),
    policy: Policy.optional(),
    sync: z.strictObject({ delay: z.strictObject({ min: Duration, max: Duration.optional() }).optional() }).optional(),
    lenders: z.array(Lender).min(1).optional().meta({ description: "Default: one lender, lender-a" }),
    accounts: z.array(Account).optional().meta({ description: "Accounts named by devices are created on registration; list them to set lender or owner" }),
    devices: z.array(Device).min(1),
    timeline: z.array(Step).min(1),
    until: z
      .union([Duration, LocalTime])
      .optional()
      .meta({ description: "Keep running after the last step: a duration after it, or a local time" }),
  })
  .meta({ title: "Heartlock scenario", description: "A story played on simulated time: https://github.com/heartlock (see README, Scenario files)" });
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioDevice = z.infer<typeof Device>;
export type ScenarioLender = z.infer<typeof Lender>;
export type Amount = z.infer<typeof Amount>;


// ---------------------------------------------------------------- what a file may say before it is composed

/** `- include: steps/pay-on-friday.yaml` in a timeline: a shared list of steps, spliced in its place. */
const IncludeSteps = z
  .strictObject({ include: z.string().min(1).meta({ description: "A YAML file (relative to this one) holding a list of steps" }) })
  .meta({ title: "include steps" });

/**
 * What a scenario file may say beyond the scenario, resolved by the loader before the schema above sees it
 * (scenarios/format/compose.ts): `include:` (shared cast files), timeline includes and `matrix:`. The JSON
 * Schema adds them in place, for editors.
 */
export const fileOnly = {
  include: z.array(z.string().min(1)).meta({ description: "Files (relative to this one) with shared lenders, accounts, devices, holidays or policy; listed first" }),
  matrix: z
    .record(z.string(), z.array(z.union([z.string(), z.number()])).min(1))
    .meta({ description: "Variants: every combination of these values runs as its own scenario, with ${name} replaced in the text", example: { hour: ["09:00", "18:00"], weekday: ["friday", "monday"] } }),
  includeSteps: IncludeSteps,
};
