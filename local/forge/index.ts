/** The local Forge platform emulator: see README.md beside this file. */
export { ForgePlatform } from './platform';
export type { ForgePlatformOptions, InvokeOptions, PlatformClock, RunReport } from './platform';
export { EmulatorConfigError, InvocationTimeoutError, ResolverInvocationError } from './errors';
export { EMULATOR_ACCOUNT_HEADER } from './product-requests';
export type { JiraTarget } from './product-requests';
export type { RemoteConfig } from './remotes';
export { FIT_ISSUER, FIT_LIFETIME_SECONDS } from './invocation-token';
export type { ObjectInfo } from './object-store';
export type { InvocationRecord } from './invocation';
