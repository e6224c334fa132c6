/** The app's entry: renders the shell into #root. */
import { render } from 'preact';
import { App } from './components/App';
import './styles.css';

render(<App />, document.getElementById('root')!);
