import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE } from '../transport';

/**
 * The editor asks for a list as soon as a field of a new node opens, before a credential may be
 * chosen: then the list says what to do, instead of n8n's "Node does not have any credentials set".
 */
export function assertCredentialChosen(this: ILoadOptionsFunctions): void {
	if (this.getNode().credentials?.[CREDENTIAL_TYPE] !== undefined) return;
	throw new NodeOperationError(this.getNode(), 'Choose a WeChat Official Account credential first: this list comes from the account', {
		level: 'warning',
		description: 'Select or create the credential under "Credential to connect with" at the top of this panel, then open the list again.',
	});
}
