/** The mock contact center: runtime, configuration and the MSW handlers that serve it. */
export { ContactCenter, type ContactCenterOptions } from './runtime/contact-center.js';
export { Clock } from './runtime/clock.js';
export { seededRandom } from './runtime/faults.js';
export { TenantStore } from './config/store.js';
export { seedTenant, DEMO_SECRET_KEY } from './config/seed.js';
export { createHandlers, MOCK_PATH } from './handlers/index.js';
