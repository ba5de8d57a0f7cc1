/** `HH:MM`, 24-hour, 00:00–23:59 (the plan's `schedule.time`). */
export const TIME_OF_DAY_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface TimeOfDay {
  hour: number;
  minute: number;
}

export function parseTimeOfDay(time: string): TimeOfDay {
  const match = TIME_OF_DAY_PATTERN.exec(time);
  if (!match) throw new RangeError(`Schedule time "${time}" is not a 24-hour HH:MM time such as "02:30".`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}
