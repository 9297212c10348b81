export * from './reports.module';
export * from './reports.service';
export * from './report-data';
export * from './charts';
export * from './render';
export { OPEN_DATA_COLUMNS } from './open-data.service';
export { ReportEntity } from './report.entity';
