export * from './types';
export * from './policy-check';
export * from './apply-retention';
export { periodOf, localStamp } from './buckets';
export * from './rotate-plan';
export * from './describe-policy';
export * from './rotation-sweep';
