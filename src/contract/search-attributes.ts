import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

/** Lets the Web UI filter boots: `BootwavePlan = "demo" AND BootwaveStatus = "failed"`. */
export const planSearchAttribute = defineSearchAttributeKey('BootwavePlan', SearchAttributeType.KEYWORD);
export const statusSearchAttribute = defineSearchAttributeKey('BootwaveStatus', SearchAttributeType.KEYWORD);

export const bootSearchAttributes = [planSearchAttribute, statusSearchAttribute];

/** What a client adds to the workflows and schedules it starts: the plan's attribute, when the server has it. */
export interface PlanAttributes {
  typedSearchAttributes?: SearchAttributePair[];
}
