// The credential as it was before its authenticate became a function: the generic
// qs.access_token = '={{$credentials.accessToken}}', an n8n expression evaluated on every request.
// Swapped in for one benchmark case so that before and after are measured in the same run.
import type { IAuthenticateGeneric } from 'n8n-workflow';

import { CREDENTIAL_TYPE, loadPackage } from '../../test/harness/workflow';

const GENERIC_AUTHENTICATE: IAuthenticateGeneric = {
	type: 'generic',
	properties: { qs: { access_token: '={{$credentials.accessToken}}' } },
};

export async function withGenericAuthenticate<T>(work: () => Promise<T>): Promise<T> {
	const pkg = await loadPackage();
	const type = pkg.credentialTypes.getByName(CREDENTIAL_TYPE);
	const functionAuthenticate = type.authenticate;
	type.authenticate = GENERIC_AUTHENTICATE;
	try {
		return await work();
	} finally {
		type.authenticate = functionAuthenticate;
	}
}
