export type { ConfigSpec, PlannedExperiment, Plan } from './types.js';
export { campaignId, legacySha256CampaignId, configHash, canonicalJson, formatExpId } from './campaignId.js';
export { pythonJsonDumps, pythonFloatRepr } from './pythonJson.js';
export { expandConfigs, type ExpandedConfigs } from './expand.js';
export { orderExperiments, type Ordered } from './order.js';
export { planCampaign, type PlanOptions } from './planCampaign.js';
export { validatePlan, FP_PRECISIONS } from './validate.js';
