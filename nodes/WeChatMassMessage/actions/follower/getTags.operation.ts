import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../../helpers/items';
import { OPENID_PATTERN } from '../../helpers/recipients';
import type { TagIdListRequest, TagIdListResponse } from '../../helpers/types';
import { inputError } from '../../helpers/validation';
import { weChatApiRequest } from '../../transport';

export const description: INodeProperties[] = [
	{
		displayName: 'OpenID',
		name: 'openId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. o6_bmjrPTlm6_2sgVt7hMZOPfL2M',
		description: 'The follower\'s OpenID (28 characters)',
		displayOptions: { show: { resource: ['follower'], operation: ['getTags'] } },
	},
];

/** tags/getidlist (https://developers.weixin.qq.com/doc/service/api/usermanage/tag/api_gettagidlist): {"tagid_list":[134,2]}. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const check = (itemIndex: number): TagIdListRequest => {
		const openid = String(this.getNodeParameter('openId', itemIndex, '') ?? '').trim();
		if (!OPENID_PATTERN.test(openid)) throw inputError.call(this, itemIndex, 'OpenID', openid === '' ? 'give the follower\'s OpenID' : `"${openid}" is not an OpenID (28 letters, digits, - or _)`);
		return { openid };
	};
	return await forEachItem(this, items, check, async (body, itemIndex) => {
		const { openid } = body;
		const result = await weChatApiRequest<TagIdListResponse>(this, { method: 'POST', path: '/cgi-bin/tags/getidlist', body, idempotent: true }, itemIndex);
		return { openid, ...result };
	});
}
