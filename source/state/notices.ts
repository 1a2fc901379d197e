// The bounded list of notices (the last NOTICE_LIMIT), shared by the reducers.
import { NOTICE_LIMIT, type CampaignState, type Notice } from './types.js';

export function addNotice(state: CampaignState, notice: Notice): CampaignState {
  const notices = [...state.notices, notice];
  return { ...state, notices: notices.length > NOTICE_LIMIT ? notices.slice(-NOTICE_LIMIT) : notices };
}
