import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTagging, taggingDescription } from './tagging';

export const description: INodeProperties[] = taggingDescription('addTag');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeTagging.call(this, items, 'addTag');
}
