/**
 * What the demo hub says it can do, at `[base]/metadata`, without a token (as FHIR servers
 * answer it, so a client can learn how to sign in before it has): the resource types and the
 * search parameters it answers (search-params.ts), transactions, and SMART's OAuth endpoints.
 */
import type { CapabilityStatement, CapabilityStatementRestResource, ResourceType } from '@medplum/fhirtypes';
import { SEARCH_PARAMS } from './search-params';

const SEARCH_PARAM_DEFINITION = 'http://hl7.org/fhir/SearchParameter/';

/** `without`: what the hub was started without (demo-hub.ts), left out here as a lesser server leaves it out. */
export function capabilityStatement(origin: string, fhirBase: string, without: ReadonlySet<string> = new Set()): CapabilityStatement {
  const resource = Object.entries(SEARCH_PARAMS).map(([type, params]): CapabilityStatementRestResource => ({
    type: type as ResourceType,
    interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }],
    versioning: without.has('if-match') ? 'versioned' : 'versioned-update',
    conditionalCreate: !without.has('conditional-create'),
    searchParam: [
      { name: '_id', type: 'token' as const, definition: `${SEARCH_PARAM_DEFINITION}Resource-id` },
      ...(without.has('_lastUpdated') ? [] : [{ name: '_lastUpdated', type: 'date' as const, definition: `${SEARCH_PARAM_DEFINITION}Resource-lastUpdated` }]),
      ...Object.entries(params).filter(([name]) => !without.has(`${type}.${name}`))
        .map(([name, param]) => ({ name, type: param.type, definition: `${SEARCH_PARAM_DEFINITION}${type}-${name}` })),
    ],
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    implementation: { description: 'Demo hub: a shared trust FHIR server on loopback', url: fhirBase },
    software: { name: 'derm-review-desk demo hub' },
    rest: [{
      mode: 'server',
      security: {
        cors: false,
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        extension: [{
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'authorize', valueUri: `${origin}/oauth/authorize` },
            { url: 'token', valueUri: `${origin}/oauth/token` },
          ],
        }],
      },
      resource,
      interaction: [...(without.has('transaction') ? [] : [{ code: 'transaction' as const }]), { code: 'batch' }, { code: 'search-system' }],
    }],
  };
}
