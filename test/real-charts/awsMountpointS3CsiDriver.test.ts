import { REAL_CHART_CASES } from '../support/realChartCases';
import { describeRealChart } from './describeRealChart';

describeRealChart(REAL_CHART_CASES.find((c) => c.id === 'aws-mountpoint-s3-csi-driver')!);
