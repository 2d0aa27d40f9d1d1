// n8n's "Test" button for a credential with a test request (packages/cli credentials-tester.service,
// runRequestTest through n8n-core's RoutingNode): preAuthentication runs only when the expirable field
// is empty, the request's expressions are resolved with $credentials, the credential authenticates it,
// and a `responseSuccessBody` rule FAILS the test when body[key] === value.
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialTestResult,
	type NodeParameterValueType,
} from 'n8n-workflow';

import { CredentialStore, TestCredentialsHelper } from './credentials';
import { CREDENTIAL_TYPE, loadPackage } from './workflow';

export const n8nHttpHelper: IHttpRequestHelper = {
	helpers: { httpRequest: async (options: IHttpRequestOptions) => await Container.get(OutboundHttp).requests().request(options) },
};

/** Tests a credential holding `data` as n8n's editor does; `data.accessToken` is the token n8n has stored, if any. */
export async function testCredential(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	const pkg = await loadPackage();
	const type = pkg.credentialTypes.getByName(CREDENTIAL_TYPE);
	const credentials = { ...data };
	if (credentials.accessToken === '' || credentials.accessToken === undefined) {
		try {
			Object.assign(credentials, await type.preAuthentication!.call(n8nHttpHelper, credentials));
		} catch (error) {
			return { status: 'Error', message: (error as Error).message };
		}
	}

	const node: INode = { id: 'n', name: 'Temp-Node', type: 'test.input', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: pkg.nodeTypes });
	const resolve = (value: unknown) =>
		workflow.expression.getParameterValue(value as NodeParameterValueType, null, 0, 0, node.name, [], 'internal', { $credentials: credentials });

	const test = type.test!.request;
	const request: IHttpRequestOptions = {
		method: test.method ?? 'GET',
		url: `${String(resolve(test.baseURL))}${String(resolve(test.url))}`,
		json: test.json ?? true,
		body: test.body === undefined ? undefined : (resolve(test.body) as IHttpRequestOptions['body']),
	};
	const authenticated = await new TestCredentialsHelper(pkg.credentialTypes, new CredentialStore()).authenticate(credentials, CREDENTIAL_TYPE, request, workflow, node);
	const body = (await Container.get(OutboundHttp).requests().request(authenticated)) as Record<string, unknown>;
	for (const rule of type.test!.rules ?? []) {
		if (rule.type === 'responseSuccessBody' && body[rule.properties.key] === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
