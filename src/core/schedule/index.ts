export * from './civil-date';
export * from './time-zone';
export * from './time-of-day';
export * from './local-instant';
export * from './slots';
export * from './slot-claims';
export * from './scheduler-service';
