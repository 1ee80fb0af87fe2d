import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Lets the Web UI filter boots: `BootwavePlan = "demo" AND BootwaveStatus = "failed"`. */
export const planSearchAttribute = defineSearchAttributeKey('BootwavePlan', SearchAttributeType.KEYWORD);
export const statusSearchAttribute = defineSearchAttributeKey('BootwaveStatus', SearchAttributeType.KEYWORD);

export const bootSearchAttributes = [planSearchAttribute, statusSearchAttribute];
