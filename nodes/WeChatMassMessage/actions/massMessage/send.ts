// What the two send operations share: the clientmsgid, the exactly-once call and the output item.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { SendAllRequest, SendToOpenIdsRequest } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { MAX_CLIENT_MSG_ID_BYTES, clientMsgIdForBatch, deriveClientMsgId, sendExactlyOnce } from '../../transport/exactlyOnceSend';
import type { SendSettings } from './messageContent';

/** Checks a user-given Client Message ID; an empty one is derived later. */
export function checkClientMsgId(this: IExecuteFunctions, settings: SendSettings, itemIndex: number): void {
	const bytes = Buffer.byteLength(settings.clientMsgId, 'utf8');
	if (bytes > MAX_CLIENT_MSG_ID_BYTES) {
		throw inputError.call(this, itemIndex, 'Client Message ID', `must be at most ${MAX_CLIENT_MSG_ID_BYTES} bytes, got ${bytes}`);
	}
}

/**
 * The clientmsgid for one call: the user's key, or one derived from the workflow, the node and
 * the body itself (message and recipients). The derived id is the same whenever the same send is
 * made again, whether by Retry On Fail, by retrying a failed execution or by a trigger firing
 * twice, so WeChat delivers it once in 24 hours.
 */
export function clientMsgIdFor(this: IExecuteFunctions, settings: SendSettings, body: SendAllRequest | SendToOpenIdsRequest, batchIndex: number): string {
	if (settings.clientMsgId !== '') return clientMsgIdForBatch(settings.clientMsgId, batchIndex);
	return deriveClientMsgId([this.getWorkflow().id ?? '', this.getNode().name, JSON.stringify({ ...body, clientmsgid: undefined })]);
}

/**
 * Two items with the same clientmsgid would make WeChat drop the second send as a repeat of the
 * first: refused before anything is sent. `userKey` tells a Client Message ID the user gave from
 * one derived from identical message and recipients.
 */
export function checkClientMsgIdsDistinct(this: IExecuteFunctions, sends: Array<{ itemIndex: number; clientMsgId: string; userKey: boolean }>): void {
	const firstItemOf = new Map<string, number>();
	for (const { itemIndex, clientMsgId, userKey } of sends) {
		const first = firstItemOf.get(clientMsgId);
		if (first !== undefined) {
			throw userKey
				? inputError.call(this, itemIndex, 'Client Message ID', `"${clientMsgId}" is also the key of item ${first + 1}; WeChat would treat this send as a repeat of that one and skip it`)
				: inputError.call(
						this,
						itemIndex,
						'Message',
						`same message to the same recipients as item ${first + 1}; WeChat would deliver it once. Remove the repeat, or give each item its own Client Message ID`,
					);
		}
		firstItemOf.set(clientMsgId, itemIndex);
	}
}

export async function confirmSend(
	this: IExecuteFunctions,
	path: '/cgi-bin/message/mass/sendall' | '/cgi-bin/message/mass/send',
	body: SendAllRequest | SendToOpenIdsRequest,
	settings: SendSettings,
	itemIndex: number,
): Promise<IDataObject> {
	const confirmed = await sendExactlyOnce(
		this,
		path,
		body,
		{ confirmWithinMs: settings.confirmWithinSeconds * 1000, repeatWaitMs: settings.repeatWaitSeconds * 1000 },
		itemIndex,
	);
	return { ...confirmed.result, duplicate: confirmed.duplicate, clientMsgId: body.clientmsgid };
}
