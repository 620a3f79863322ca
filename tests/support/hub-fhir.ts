/** Reading and replacing resources on the demo hub as another system on it would: GET, or PUT when given a body. */
import type { DemoHub } from '../../electron/hub/demo-hub';

export function hubFhir(hub: () => DemoHub): <T>(path: string, body?: T) => Promise<T> {
  return async <T>(path: string, body?: T): Promise<T> => {
    const response = await fetch(`${hub().baseUrl}/${path}`, {
      method: body ? 'PUT' : 'GET',
      headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', authorization: `Bearer ${hub().issueToken()}` },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as T;
  };
}
