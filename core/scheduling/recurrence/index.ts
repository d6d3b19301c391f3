export * from './rule.ts';
export * from './expand.ts';
export * from './series.ts';
