/** Application services behind the admin page's resolvers (and the plain-text summary `npm start` prints). */
export * from './errors';
export * from './access';
export * from './audit-log';
export * from './collaborators';
export * from './configuration-store';
export * from './configuration-service';
export * from './control-panel-service';
export * from './display-format';
export * from './plan-input';
export * from './storage-input';
export * from './private-key-check';
export * from './storage-description';
export * from './summary-text';
export * from './view-model';
export * from './resolver-contract';
export * from './site-projects';
