import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IHookFunctions,
	INode,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { answerUrlVerification, receiveCallback, type CallbackPolicy } from './callbackHandler';
import { CALLBACK_CREDENTIAL_TYPE, describeCredentialProblems, toCallbackSettings } from './callbackCredential';
import { ReplayMemory, type ReplayState, processReplayState } from './replayMemory';
import type { CallbackReply, CallbackRequest, CallbackResponse, CallbackSettings, EventFilter } from './types';

function readSettings(node: INode, data: ICredentialDataDecryptedObject): CallbackSettings {
	const result = toCallbackSettings(data);
	if (!result.ok) {
		throw new NodeOperationError(node, `The WeChat callback credential cannot be used: ${result.problems.join('; ')}`);
	}
	return result.settings;
}

/** Seconds: WeChat retries within about 15 s, and clocks drift a little. */
const DEFAULT_MAX_MESSAGE_AGE = 300;

function writeReply(response: CallbackResponse, reply: CallbackReply): void {
	response.statusCode = reply.status;
	response.setHeader('Content-Type', 'text/plain; charset=utf-8');
	response.setHeader('X-Content-Type-Options', 'nosniff');
	response.end(reply.body);
}

export class WeChatMassMessageTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WeChat Mass Message Trigger',
		name: 'weChatMassMessageTrigger',
		icon: { light: 'file:wechat.svg', dark: 'file:wechat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ {"all": "All events", "publishJobFinish": "Publish finished", "massOrPublishFinished": "Mass send or publish finished"}[$parameter["events"]] || "Mass send finished" }}',
		description: 'Starts the workflow when WeChat reports that an Official Account mass send (群发) has finished',
		defaults: { name: 'WeChat Mass Message Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'weChatCallbackApi', required: true, testedBy: 'weChatCallbackCredentialTest' }],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'webhook' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'To connect WeChat: 1. Publish this workflow (n8n 2.x: Publish; n8n 1.x: the Active switch), so that its Production URL answers. 2. Copy the Production URL: open Webhook URLs at the top of this panel and choose Production URL. 3. In the WeChat Official Accounts Platform, open Settings and Development > Basic Configuration > Server Configuration (设置与开发 > 基本配置 > 服务器配置), enter that URL with the Token, EncodingAESKey and encryption mode of the credential, submit (WeChat calls the URL to check it), then Enable. Enabling it turns off the console\'s own auto-replies and custom menu (自动回复, 自定义菜单).',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'options',
				default: 'massSendJobFinish',
				options: [
					{
						name: 'Mass Send Finished',
						value: 'massSendJobFinish',
						description: 'Only when a mass send has finished, failed or been stopped by a review (the MASSSENDJOBFINISH event)',
					},
					{
						name: 'Publish Finished',
						value: 'publishJobFinish',
						description: 'Only when a Draft > Publish has finished: published, or failed with the reason (the PUBLISHJOBFINISH event)',
					},
					{
						name: 'Mass Send or Publish Finished',
						value: 'massOrPublishFinished',
						description: 'When a mass send or a publish has finished; the output\'s event field says which',
					},
					{
						name: 'All Events and Messages',
						value: 'all',
						description: 'Everything WeChat pushes to the URL: subscribe, click, messages from followers, and more',
					},
				],
			},
			{
				displayName: 'Max Message Age (Seconds)',
				name: 'maxMessageAge',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: DEFAULT_MAX_MESSAGE_AGE,
				description:
					'Refuse requests whose timestamp is further than this from the current time, so a captured request cannot be replayed later. WeChat retries a delivery within seconds, and clocks drift: keep a few minutes. 0 turns the check off (not recommended).',
				hint: 'The n8n server\'s clock must be right (NTP): requests more than this many seconds off are refused',
			},
		],
	};

	methods = {
		credentialTest: {
			async weChatCallbackCredentialTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problems = describeCredentialProblems(credential.data ?? {});
				if (problems.length > 0) return { status: 'Error', message: `Not what WeChat's console accepts: ${problems.join('; ')}` };
				return {
					status: 'OK',
					message: 'The values have the format WeChat uses. WeChat checks them against this trigger when the Server Configuration is submitted.',
				};
			},
		},
	};

	// The URL, Token and EncodingAESKey are entered in WeChat's console, so there is nothing to
	// register with WeChat. Activation still checks that the credential can verify WeChat's requests.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				readSettings(this.getNode(), await this.getCredentials(CALLBACK_CREDENTIAL_TYPE));
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const settings = readSettings(this.getNode(), await this.getCredentials(CALLBACK_CREDENTIAL_TYPE));
		const eventFilter = readEventFilter(this.getNodeParameter('events', 'massSendJobFinish'));
		const maxMessageAge = this.getNodeParameter('maxMessageAge', DEFAULT_MAX_MESSAGE_AGE);
		const nowSeconds = Math.floor(Date.now() / 1000);
		const policy: CallbackPolicy = {
			settings,
			eventFilter,
			maxMessageAgeSeconds: typeof maxMessageAge === 'number' && maxMessageAge > 0 ? maxMessageAge : 0,
			nowSeconds,
			// n8n stores a workflow's static data with the workflow, where every process of a queue-mode setup reads it.
			memory: new ReplayMemory(
				this.getWorkflowStaticData('node') as ReplayState,
				processReplayState(`${this.getWorkflow().id ?? ''}:${this.getNode().id}`),
				nowSeconds,
			),
		};

		const query = this.getQueryData();
		const outcome =
			this.getWebhookName() === 'setup'
				? answerUrlVerification(query, policy)
				: receiveCallback(query, this.getRequestObject() as CallbackRequest, policy);

		writeReply(this.getResponseObject() as CallbackResponse, outcome.reply);
		if (outcome.output === undefined) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([outcome.output])] };
	}
}

const EVENT_FILTERS: readonly EventFilter[] = ['massSendJobFinish', 'publishJobFinish', 'massOrPublishFinished', 'all'];

function readEventFilter(value: unknown): EventFilter {
	return EVENT_FILTERS.find((filter) => filter === value) ?? 'massSendJobFinish';
}
