// The pure core: time, randomness, durations, business days and the journal. Nothing here touches the real
// world except systemWall (wall-clock.ts), the one adapter to the process's clock and timers.
export { ClockWentBackwards, DAY, HOUR, MINUTE, SECOND, iso } from "./clock.ts";
export type { Clock, ControllableClock, Job, JobId, Millis, ScheduledJob } from "./clock.ts";
export { VirtualClock } from "./virtual-clock.ts";
export { RealClock } from "./real-clock.ts";
export type { RealClockOptions } from "./real-clock.ts";
export { systemWall } from "./wall-clock.ts";
export type { Wall } from "./wall-clock.ts";
export { ManualWall } from "./manual-wall.ts";
export { Journal } from "./journal.ts";
export type { Actor, EventData, JournalEvent, JournalListener, JsonValue } from "./journal.ts";
export type { Random } from "./random.ts";
export { SeededRandom, fnv1a } from "./seeded-random.ts";
export { InvalidDuration, formatDuration, isDuration, parseDuration } from "./duration.ts";
export { BusinessCalendar, InvalidCalendar } from "./calendar.ts";
export type { BusinessCalendarOptions } from "./calendar.ts";
