export * from './reports.module';
export * from './reports.service';
export * from './report-data';
export * from './charts';
export * from './render';
export { ReportEntity } from './report.entity';
