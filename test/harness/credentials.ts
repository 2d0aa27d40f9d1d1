// A credential store and credentials helper that behave like n8n's own (packages/cli
// credentials-helper.ts): preAuthentication runs when the expirable field is empty, the credential
// is expired or being tested, and its result is persisted for every later execution and process.
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type Workflow,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** Stands in for n8n's credentials table: shared by every "process" a test creates. */
export class CredentialStore {
	private readonly rows = new Map<string, StoredCredential>();
	/** Every write, in order: lets tests see each token n8n persisted. */
	readonly writes: Array<{ id: string; data: ICredentialDataDecryptedObject }> = [];

	put(credential: StoredCredential): void {
		this.rows.set(credential.id, { ...credential, data: { ...credential.data } });
	}

	get(id: string): StoredCredential {
		const row = this.rows.get(id);
		if (!row) throw new Error(`No credential with id ${id}`);
		return { ...row, data: { ...row.data } };
	}

	update(id: string, data: ICredentialDataDecryptedObject): void {
		const row = this.get(id);
		this.rows.set(id, { ...row, data: { ...data } });
		this.writes.push({ id, data: { ...data } });
	}
}

class PlainCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private plain: ICredentialDataDecryptedObject,
	) {
		super(details, type);
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.plain };
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.plain) };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.plain = { ...data };
	}

	async updateData(toUpdate: Partial<ICredentialDataDecryptedObject>): Promise<void> {
		this.plain = { ...this.plain, ...toUpdate } as ICredentialDataDecryptedObject;
	}
}

export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	add(type: ICredentialType): void {
		this.types.set(type.name, type);
	}

	getByName(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** How many times preAuthentication really ran (i.e. a token was requested through n8n). */
	preAuthenticationRuns = 0;

	constructor(
		private readonly types: CredentialTypeRegistry,
		private readonly store: CredentialStore,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const type = this.types.getByName(typeName);
		const options = requestOptions as IHttpRequestOptions & Record<string, unknown>;
		if (typeof type.authenticate === 'function') return await type.authenticate(credentials, options);
		if (type.authenticate?.type === 'generic' && workflow && node) {
			for (const [outerKey, inner] of Object.entries(type.authenticate.properties)) {
				const target = (options[outerKey] ?? {}) as Record<string, unknown>;
				for (const [key, value] of Object.entries(inner as Record<string, unknown>)) {
					target[key] = this.resolve(String(value), credentials, workflow, node);
				}
				options[outerKey] = target;
			}
		}
		return options;
	}

	private resolve(value: string, credentials: ICredentialDataDecryptedObject, workflow: Workflow, node: INode): string {
		if (!value.startsWith('=')) return value;
		const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
		return resolved === undefined || resolved === null ? '' : String(resolved);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.getByName(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) return undefined;

		this.preAuthenticationRuns++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const details = node.credentials?.[type.name];
		if (!details?.id) return undefined;
		// n8n 1.x stores the credentials object it passed to preAuthentication, merged with the output
		// (n8n 2.x: the stored data with the output's fields): whatever else a caller put into that
		// object would reach the database, so the stricter 1.x way is the one played here.
		const merged = Object.assign(credentials, output as ICredentialDataDecryptedObject);
		this.store.update(details.id, { ...merged });
		return merged;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.types.getByName(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const row = this.store.get(details.id ?? '');
		return new PlainCredentials({ id: row.id, name: row.name }, type, row.data);
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		details: INodeCredentialsDetails,
		type: string,
		_mode: WorkflowExecuteMode,
	): Promise<ICredentialDataDecryptedObject> {
		const row = this.store.get(details.id ?? '');
		// n8n fills in the defaults of fields the stored data does not have.
		const withDefaults = NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), row.data as never, true, false, null, null);
		return { ...(withDefaults as ICredentialDataDecryptedObject), ...row.data };
	}

	async updateCredentials(details: INodeCredentialsDetails, _type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.store.update(details.id ?? '', data);
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.types.getByName(type).properties;
	}
}
