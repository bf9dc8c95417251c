import { calendarHref, CalendarFilters } from './calendar-filters';

/**
 * The calendar's links, each keeping the filters in its URL: the two views (without one in the URL,
 * the screen's width chooses: agenda on a phone), the whole campaign, today's week and the weeks
 * before and after the one shown, the downloads of the same member.
 */
export function calendarPageLinks(base: string, filters: CalendarFilters, model: { weekStarts: string[]; todayWeek: string }) {
  const at = filters.week ? model.weekStarts.indexOf(filters.week) : -1;
  const week = (i: number) => (i >= 0 && i < model.weekStarts.length ? calendarHref(base, filters, { week: model.weekStarts[i] }) : null);
  return {
    calendarUrl: base,
    filters,
    filtered: Boolean(filters.network || filters.locale || filters.theme || filters.status || filters.q),
    view: filters.view ?? 'auto',
    explicitView: Boolean(filters.view),
    viewUrls: { grid: calendarHref(base, filters, { view: 'grid' }), agenda: calendarHref(base, filters, { view: 'agenda' }) },
    weekNav: {
      today: calendarHref(base, filters, { week: model.todayWeek }),
      previous: at > 0 ? week(at - 1) : null,
      next: at >= 0 ? week(at + 1) : null,
      all: filters.week ? calendarHref(base, filters, { week: undefined }) : null,
      weeks: model.weekStarts.map((start, i) => ({ start, number: i + 1, href: calendarHref(base, filters, { week: start }), current: start === filters.week })),
    },
    clearUrl: calendarHref(base, { member: filters.member, view: filters.view, week: filters.week }),
  };
}

/** The campaign's week that holds `date`; before the campaign its first, after it its last. */
export function weekOfDay(starts: string[], date: string): string {
  return [...starts].reverse().find((start) => start <= date) ?? starts[0];
}
