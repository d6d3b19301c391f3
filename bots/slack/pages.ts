// The Slack flows' plain pages (linking an account, installing): shared with other adapters.
export { escapeHtml, sendPage } from '../../infra/http/plain-page.ts';
