import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeTagging, taggingDescription } from './tagging';

export const description: INodeProperties[] = taggingDescription('removeTag');

export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	return await executeTagging.call(this, items, 'removeTag');
}
