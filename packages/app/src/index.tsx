// The CSS baseline (border-box sizing, no body margin) and Backstage UI's tokens: since
// @backstage/theme 0.7 the UnifiedThemeProvider no longer renders a CssBaseline, and the app
// brings it by importing this stylesheet once, as Backstage's app template does.
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import App from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(<App />);
