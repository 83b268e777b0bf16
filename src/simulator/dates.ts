/**
 * Calendar arithmetic for the simulation clock. A simulated day is a UTC date; the exchange's local time is UTC+5
 * (engine/calendar.ts), so a session "11:00–13:00" local is 06:00–08:00 UTC. Nothing here reads the wall clock.
 */

import { MS_PER_DAY } from "./units.ts";

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new Error(`date '${date}' is not YYYY-MM-DD`);
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (formatDate(ms) !== date) throw new Error(`date '${date}' does not exist`);
  return ms;
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function monthOf(ms: number): string {
  return formatDate(ms).slice(0, 7);
}

/** The month after `month` (YYYY-MM). */
export function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

export function daysInMonth(ms: number): number {
  const d = new Date(ms);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

export function isWeekend(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
}

/** Minutes after midnight of "HH:MM". */
export function minutesOf(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new Error(`time '${time}' is not HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export const addDays = (ms: number, days: number): number => ms + days * MS_PER_DAY;
