/**
 * The event log contract on the in-memory stores.
 */
import { createMemoryEventStore } from '../../shared/eventlog/index.js';
import { createMemoryProjectionStore } from '../../shared/projections/index.js';
import { describeEventStoreContract } from '../support/eventlog-contract.js';

describeEventStoreContract('memory', {
  eventStore: (options) => createMemoryEventStore(options),
  projectionStore: () => createMemoryProjectionStore(),
});
