export { sum, roundTo } from './arithmetic';
export { type Money, money, addMoney, multiplyMoney } from './money';
