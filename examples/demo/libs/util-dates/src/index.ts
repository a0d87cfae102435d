export { formatDate, addDays } from './calendar';
export { isBusinessDay, nextBusinessDay } from './business-days';
