/**
 * The guide's content (issue 10 §2–§4): the questions for the citizen's case, their personal checklist, how to
 * submit online or in person, and what it costs. Pure functions over a procedure record, the citizen's answers and
 * the commune profile; the conversation flow (src/conversation/flows/guide.ts) asks and shows them.
 */
export { type CaseAnswer } from './conditions.ts';
export { type GuideQuestion, type GuideQuestionOptions, guideAnswerId, guideQuestions, parseGuideAnswer } from './questions.ts';
export { type Checklist, type ChecklistLine, type ChecklistOptions, checklistLines, personalChecklist } from './checklist.ts';
export { renderChecklist } from './render.ts';
export { type ChannelOverride, handledAtCommune, hasOnlineChannel, inPersonSteps, isFullyOnline, onlineSteps } from './channels.ts';
export { type FeeFacts, feeFacts, feeMessage, NATIONAL_PORTAL_URL, portalPaymentSteps } from './fees.ts';
export type { GuideQuestionPhrases } from '../../knowledge/guide-questions.ts';
