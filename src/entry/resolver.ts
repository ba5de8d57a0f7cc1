import Resolver from '@forge/resolver';

const resolverDefinitions = new Resolver();
resolverDefinitions.define('ping', () => ({ ok: true }));

/** Answers the admin page's `invoke` calls. */
export const resolver = resolverDefinitions.getDefinitions();
