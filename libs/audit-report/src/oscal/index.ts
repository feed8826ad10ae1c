export { oscalAssessmentPlan } from './assessment-plan';
export { oscalAssessmentResults } from './assessment-results';
export {
  OSCAL_ASSESSMENT_VERSION,
  type OscalAssessmentPlanDocument,
  type OscalAssessmentResultsDocument,
} from './oscal-assessment-model';
