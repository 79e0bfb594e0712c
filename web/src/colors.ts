// The data colours, shared by the charts and the tables (contrast ≥ 3:1 on white).

export const COLORS = {
  good: '#0f766e',
  goodLight: '#99d5cc',
  warn: '#c2410c',
  amber: '#d97706',
  bad: '#b42318',
  violet: '#6d28d9',
  info: '#1d4ed8',
  infoLight: '#bfd3fb',
  ink: '#1c2430',
  muted: '#5b6675',
  grid: '#e5e8ed',
};
