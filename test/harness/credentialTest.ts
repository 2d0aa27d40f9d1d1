// n8n's "Test" button for a credential (packages/cli credentials-tester.service, getCredentialTestFunction
// and testCredentials): a credential's own `test` request comes first; otherwise the function a node
// names in `testedBy` runs with n8n-core's CredentialTestContext and the credential data as entered.
import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialTestFunction, INodeCredentialTestResult } from 'n8n-workflow';

import { type LoadedPackage, CREDENTIAL_TYPE, loadPackage } from './workflow';

function credentialTestFunction(pkg: LoadedPackage, credentialType: string): ICredentialTestFunction {
	if (pkg.credentialTypes.getByName(credentialType).test) {
		throw new Error(`${credentialType} has its own test request: n8n would run that instead of a node's testedBy function`);
	}
	for (const { type } of Object.values(pkg.loader.nodeTypes)) {
		const description = 'nodeVersions' in type ? Object.values(type.nodeVersions).at(-1)!.description : type.description;
		const methods = 'nodeVersions' in type ? Object.values(type.nodeVersions).at(-1)!.methods : type.methods;
		for (const { name, testedBy } of description.credentials ?? []) {
			if (name === credentialType && typeof testedBy === 'string' && methods?.credentialTest?.[testedBy]) {
				return methods.credentialTest[testedBy];
			}
		}
	}
	throw new Error(`No node tests ${credentialType}`);
}

export async function testCredential(data: ICredentialDataDecryptedObject, credentialType = CREDENTIAL_TYPE): Promise<INodeCredentialTestResult> {
	const test = credentialTestFunction(await loadPackage(), credentialType);
	return await test.call(new CredentialTestContext(), { id: 'cred-under-test', name: 'Credential under test', type: credentialType, data });
}
