/** The handlers named in manifest.yml. Each is a thin entry point; the work lives in src/core and src/adapters. */
export { resolver } from './entry/resolver';
export { scheduler } from './entry/scheduler';
export { worker } from './entry/worker';
