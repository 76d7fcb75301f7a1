/**
 * ECharts with only what the manager's pages draw (line and bar charts, canvas), zh-CN locale
 * registered: keeps the bundle small (no full `echarts` import).
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
// @ts-expect-error the locale modules ship without type declarations
import langZH from 'echarts/lib/i18n/langZH.js';

echarts.use([LineChart, BarChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);
echarts.registerLocale('ZH', langZH);

export { echarts };
