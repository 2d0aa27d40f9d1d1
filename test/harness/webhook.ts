// Serves the WeChat Mass Message Trigger the way n8n's webhook server does: the package loaded from
// dist/ by n8n-core, a real Workflow holding the trigger, and for every request n8n-core's
// WebhookContext with the request (raw body included) and response, then the node's webhook().
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { HookContext, WebhookContext } from 'n8n-core';
import { request as httpRequest } from 'undici';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { CredentialStore, TestCredentialsHelper } from './credentials';
import { N8N_INSTANCE_URLS, PACKAGE_NAME, PACKAGE_ROOT, loadPackage } from './workflow';

export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.weChatMassMessageTrigger`;
export const CALLBACK_CREDENTIAL_TYPE = 'weChatCallbackApi';
const CREDENTIAL_ID = 'callback-cred-1';
const TRIGGER_NAME = 'WeChat Mass Message Trigger';
/** n8n's default N8N_PAYLOAD_SIZE_MAX (16 MiB): bodies above it never reach a node. */
const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

export interface CallbackCredentialData extends ICredentialDataDecryptedObject {
	appId: string;
	token: string;
	encryptionMode: 'plain' | 'compatible' | 'safe';
	encodingAesSecretKey: string;
}

/** How the request body reaches the node: n8n keeps the raw bytes in `rawBody`; some setups only leave a string body. */
export type BodyDelivery = 'rawBody' | 'stringBody';

export type QueryValue = string | string[];

export interface CallbackRequestSpec {
	method: 'GET' | 'POST';
	query: Record<string, QueryValue>;
	body?: Buffer | string;
}

export interface TriggerReply {
	status: number;
	body: string;
	contentType: string | undefined;
}

/** The request object n8n hands to nodes (an express request): only what the trigger may read. */
interface N8nRequest {
	method: string;
	headers: Record<string, string | string[] | undefined>;
	params: Record<string, string>;
	query: Record<string, QueryValue>;
	body: unknown;
	rawBody?: Buffer;
}

/** An in-memory response with the node:http methods the trigger uses. */
class RecordedResponse {
	statusCode = 200;
	readonly headers = new Map<string, string>();
	body: string | undefined;

	setHeader(name: string, value: string): this {
		this.headers.set(name.toLowerCase(), value);
		return this;
	}

	end(body: string): this {
		this.body = body;
		return this;
	}
}

let harnessCount = 0;

export class TriggerHarness {
	/** The workflowData of every webhook() call that starts the workflow, in order. */
	readonly starts: INodeExecutionData[][][] = [];
	/** Errors webhook() threw: n8n would answer them with HTTP 500. */
	readonly errors: unknown[] = [];
	bodyDelivery: BodyDelivery = 'rawBody';
	/**
	 * When set (to the JSON n8n has stored, '{}' at first), every request gets the static data as
	 * n8n's webhook server gives it: loaded anew from what is stored (n8n reads the workflow from its
	 * database for each request), and stored again after the request when it changed. Unset, one
	 * Workflow keeps it in memory between requests. For requests made one at a time.
	 */
	storedStaticData: string | undefined;
	/** In that mode, the length of every JSON n8n stored. */
	readonly staticDataWrites: number[] = [];
	private server: Server | undefined;

	private constructor(
		readonly workflow: Workflow,
		readonly node: INode,
		private readonly nodeType: INodeType,
		private readonly credentialsHelper: TestCredentialsHelper,
	) {}

	static async create(credential: CallbackCredentialData, parameters: INodeParameters = {}): Promise<TriggerHarness> {
		const pkg = await loadPackage();
		const store = new CredentialStore();
		store.put({ id: CREDENTIAL_ID, name: 'WeChat callback', type: CALLBACK_CREDENTIAL_TYPE, data: credential });
		const node: INode = {
			id: 'trigger',
			name: TRIGGER_NAME,
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: 'c0ffee00-0000-4000-8000-000000000001',
			parameters,
			credentials: { [CALLBACK_CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'WeChat callback' } },
		};
		const workflow = new Workflow({
			// Each harness its own workflow: the trigger also remembers requests per workflow in this process.
			id: `wf-trigger-${++harnessCount}`,
			name: 'WeChat trigger test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: pkg.nodeTypes,
			staticData: {},
			settings: { executionOrder: 'v1' },
		});
		const nodeType = pkg.nodeTypes.getByNameAndVersion(TRIGGER_NODE_TYPE, 1);
		return new TriggerHarness(workflow, node, nodeType, new TestCredentialsHelper(pkg.credentialTypes, store));
	}

	get description() {
		return this.nodeType.description;
	}

	/**
	 * What the trigger keeps in the workflow's static data (the nonces and events it has seen), which
	 * n8n stores with the workflow between requests.
	 */
	get remembered(): Record<string, unknown> {
		return this.workflow.getStaticData('node', this.node);
	}

	/**
	 * What n8n stores after a production request (its saveStaticData): the workflow's whole static
	 * data as JSON when anything in it changed, else undefined. Marks it stored, as n8n does.
	 */
	takeStaticDataWrite(): string | undefined {
		const staticData = this.workflow.staticData;
		if (staticData.__dataChanged !== true) return undefined;
		staticData.__dataChanged = false;
		return JSON.stringify(staticData);
	}

	/** Starts a new delivery history: the trigger forgets the requests and events it has seen, stored and in this process. */
	forgetRemembered(): void {
		// The node's own module, as n8n loaded it from dist/, holds the in-process copy.
		const { processReplayState } = require(join(PACKAGE_ROOT, 'dist/nodes/WeChatMassMessageTrigger/replayMemory.js')) as {
			processReplayState(scope: string): Record<string, unknown>;
		};
		for (const data of [this.remembered, processReplayState(`${this.workflow.id}:${this.node.id}`)]) {
			for (const key of Object.keys(data)) delete data[key];
		}
		if (this.storedStaticData !== undefined) this.storedStaticData = '{}';
	}

	get nodeTypeMethods(): NonNullable<INodeType['methods']> {
		return this.nodeType.methods ?? {};
	}

	private webhookDescription(method: 'GET' | 'POST'): IWebhookDescription {
		const description = this.nodeType.description.webhooks?.find((webhook) => webhook.httpMethod === method);
		if (description === undefined) throw new Error(`The trigger declares no ${method} webhook`);
		return description;
	}

	/** What n8n registers for the trigger's webhook of `method`. */
	private webhookData(method: 'GET' | 'POST', additionalData: IWorkflowExecuteAdditionalData): IWebhookData {
		const webhookDescription = this.webhookDescription(method);
		return {
			httpMethod: method,
			node: this.node.name,
			path: String(webhookDescription.path),
			webhookDescription,
			workflowId: String(this.workflow.id),
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.node.webhookId,
		};
	}

	private additionalData(request?: N8nRequest, response?: RecordedResponse | ServerResponse): IWorkflowExecuteAdditionalData {
		return {
			...N8N_INSTANCE_URLS,
			credentialsHelper: this.credentialsHelper,
			currentNodeExecutionIndex: 0,
			variables: {},
			httpRequest: request,
			httpResponse: response,
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	private requestFor(spec: CallbackRequestSpec): N8nRequest {
		const bytes = spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
		return {
			method: spec.method,
			headers: { 'content-type': 'text/xml' },
			params: {},
			query: spec.query,
			...(this.bodyDelivery === 'rawBody'
				? // n8n parses XML bodies itself (xml2js, tags lower-cased); the trigger must not rely on that copy.
					{ rawBody: bytes, body: { xml: { note: 'n8n parsed copy with lower-cased tags' } } }
				: { body: bytes.toString('utf8') }),
		};
	}

	/** Runs webhook() as n8n's webhook service does: a WebhookContext per request. */
	private async runWebhook(method: 'GET' | 'POST', request: N8nRequest, response: RecordedResponse | ServerResponse): Promise<IWebhookResponseData | undefined> {
		const additionalData = this.additionalData(request, response);
		const webhookData = this.webhookData(method, additionalData);
		if (this.storedStaticData !== undefined) {
			this.workflow.overrideStaticData(JSON.parse(this.storedStaticData) as IDataObject);
			this.workflow.staticData.__dataChanged = false;
		}
		const context = new WebhookContext(this.workflow, this.node, additionalData, 'webhook', webhookData, [], null);
		try {
			const result = await this.nodeType.webhook!.call(context);
			if (result.workflowData !== undefined) this.starts.push(result.workflowData);
			return result;
		} catch (error) {
			this.errors.push(error);
			return undefined;
		} finally {
			if (this.storedStaticData !== undefined) {
				const written = this.takeStaticDataWrite();
				if (written !== undefined) {
					this.storedStaticData = written;
					this.staticDataWrites.push(written.length);
				}
			}
		}
	}

	/** Calls webhook() directly with an in-memory request and response (no sockets). */
	async invoke(spec: CallbackRequestSpec): Promise<TriggerReply & { result: IWebhookResponseData | undefined }> {
		const response = new RecordedResponse();
		const result = await this.runWebhook(spec.method, this.requestFor(spec), response);
		if (result === undefined) return { status: 500, body: 'webhook() threw', contentType: undefined, result };
		return { status: response.statusCode, body: response.body ?? '', contentType: response.headers.get('content-type'), result };
	}

	/** Starts a real HTTP server on 127.0.0.1; returns the webhook URL. */
	async listen(): Promise<string> {
		this.server = createServer((request, response) => void this.serve(request, response));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		return `http://127.0.0.1:${port}/webhook/${this.node.webhookId}/webhook`;
	}

	async close(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		if (server === undefined) return;
		server.closeAllConnections();
		await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
	}

	private async serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
		const method = incoming.method === 'GET' || incoming.method === 'POST' ? incoming.method : undefined;
		if (method === undefined) {
			response.writeHead(405).end();
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		for await (const chunk of incoming as AsyncIterable<Buffer>) {
			size += chunk.length;
			if (size > N8N_PAYLOAD_SIZE_MAX) {
				response.writeHead(413).end();
				return;
			}
			chunks.push(chunk);
		}
		const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
		const query: Record<string, QueryValue> = {};
		for (const [name, value] of url.searchParams) {
			const existing = query[name];
			query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
		}
		const request = Object.assign(incoming, this.requestFor({ method, query, body: Buffer.concat(chunks) }), {
			headers: incoming.headers,
		}) as unknown as N8nRequest;
		const result = await this.runWebhook(method, request, response);
		if (!response.writableEnded) {
			// What n8n does when a webhook throws, or returns without answering.
			response.writeHead(result === undefined ? 500 : 200).end();
		}
	}

	/** Activation as n8n performs it: checkExists, then create when it reports nothing registered. */
	async activate(): Promise<void> {
		const methods = this.nodeType.webhookMethods?.default;
		if (methods === undefined) throw new Error('The trigger has no webhook lifecycle methods');
		const additionalData = this.additionalData();
		const webhookData = this.webhookData('POST', additionalData);
		const context = new HookContext(this.workflow, this.node, additionalData, 'trigger', 'activate', webhookData);
		if (!(await methods.checkExists.call(context))) await methods.create.call(context);
	}
}

/** Sends a request the way WeChat's servers do: query string parameters and a text/xml body. */
export async function sendOverHttp(url: string, spec: CallbackRequestSpec): Promise<TriggerReply> {
	const target = new URL(url);
	for (const [name, value] of Object.entries(spec.query)) {
		for (const single of Array.isArray(value) ? value : [value]) target.searchParams.append(name, single);
	}
	const response = await httpRequest(target, {
		method: spec.method,
		body: spec.body,
		headers: spec.body === undefined ? {} : { 'content-type': 'text/xml' },
	});
	const contentType = response.headers['content-type'];
	return { status: response.statusCode, body: await response.body.text(), contentType: Array.isArray(contentType) ? contentType[0] : contentType };
}
