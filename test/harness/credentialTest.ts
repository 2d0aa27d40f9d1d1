// n8n's "Test" button for a credential (packages/cli credentials-tester.service): run
// preAuthentication as for a test, send the credential's test request with its authentication,
// then apply the rules, where a `responseSuccessBody` rule FAILS the test when body[key] === value.
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
} from 'n8n-workflow';

import { CredentialStore, TestCredentialsHelper } from './credentials';
import { CREDENTIAL_TYPE, loadPackage } from './workflow';

export const n8nHttpHelper: IHttpRequestHelper = {
	helpers: { httpRequest: async (options: IHttpRequestOptions) => await Container.get(OutboundHttp).requests().request(options) },
};

export async function testCredential(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const pkg = await loadPackage();
	const type = pkg.credentialTypes.getByName(CREDENTIAL_TYPE);
	const credentials = { ...data };
	try {
		const output = await type.preAuthentication!.call(n8nHttpHelper, credentials);
		Object.assign(credentials, output);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}

	const node: INode = { id: 'n', name: 'Temp-Node', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	const resolve = (value: string) =>
		String(workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, ''));

	const test = type.test!.request;
	const request: IHttpRequestOptions = { method: test.method ?? 'GET', url: `${resolve(test.baseURL!)}${test.url}`, json: true };
	const authenticated = await new TestCredentialsHelper(pkg.credentialTypes, new CredentialStore()).authenticate(credentials, CREDENTIAL_TYPE, request, workflow, node);
	const body = (await Container.get(OutboundHttp).requests().request(authenticated)) as Record<string, unknown>;
	for (const rule of type.test!.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
